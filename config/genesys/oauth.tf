# The exporter's identity in Genesys: a custom role with only what the exporter's calls need, and the OAuth client
# (client credentials grant) that holds it. The exporter logs in with this client (GENESYS_CLIENT_ID and
# GENESYS_CLIENT_SECRET, POST /oauth/token on the login host: no permission needed) and makes every call through the
# Java SDK in src/main/java/io/recordingexporter/genesys/GenesysRecordings.java (discovery/ reaches Genesys only
# through that class).
#
# Calls that need no permission at all (the API documents them as "Requires NO permissions"):
#   POST /api/v2/recordings/deletionprotection     which conversations are protected from deletion (legal hold)
#   GET  /api/v2/recording/batchrequests/{jobId}    a batch download's status and links (only the submitter may read it)
# Left out on purpose:
#   recording:annotation:view        annotations only feed the metadata fingerprint of a locked recording; without the
#                                    permission they are left out of every read alike, so the fingerprint still works
#   recording:recordingSegment:view  segment-restricted access; recording:recording:view gives whole recordings
#   analytics:agentConversationDetail:view  an agent's own conversations only; conversationDetail covers them all
resource "genesyscloud_auth_role" "exporter" {
  name        = var.role_name
  description = "Recording Exporter: reads conversation details and recordings to copy them to S3. Managed by Terraform (config/genesys)."

  # analytics:conversationDetail:view
  #   GET  /api/v2/analytics/conversations/details?id=...             details of up to 100 conversations (expansion)
  #   POST /api/v2/analytics/conversations/details/query              recorded conversations of a range (completeness check)
  #   GET  /api/v2/analytics/conversations/details/jobs/availability  until when details jobs have data (poll, backfill;
  #                                                                   this one accepts conversationDetail only)
  #   POST /api/v2/analytics/conversations/details/jobs               async details job (reconcile poll, backfill)
  #   GET  /api/v2/analytics/conversations/details/jobs/{jobId}       its state
  #   GET  /api/v2/analytics/conversations/details/jobs/{jobId}/results  its pages (with participant attributes)
  permission_policies {
    domain      = "analytics"
    entity_name = "conversationDetail"
    action_set  = ["view"]
  }

  # recording:recording:view (+ viewSensitiveData, var.export_sensitive_recordings)
  #   POST /api/v2/recording/batchrequests                                   batch download: lists a conversation's
  #                                                                          recordings and gives their media links
  #   GET  /api/v2/conversations/{conversationId}/recordings/{recordingId}   per-recording fallback (media link)
  #   GET  /api/v2/conversations/{conversationId}/recordingmetadata/{recordingId}  metadata fingerprint of a locked recording
  # viewSensitiveData: without it, an org with sensitive-data redaction on leaves such recordings out of batch
  # downloads and redacts them in the per-recording call.
  permission_policies {
    domain      = "recording"
    entity_name = "recording"
    action_set  = var.export_sensitive_recordings ? ["view", "viewSensitiveData"] : ["view"]
  }

  # recording:screenRecording:view
  #   POST /api/v2/recording/batchrequests, GET /api/v2/conversations/{conversationId}/recordings/{recordingId} and
  #   GET /api/v2/conversations/{conversationId}/recordingmetadata/{recordingId} for screen recordings, which Genesys
  #   grants apart from the other recordings.
  permission_policies {
    domain      = "recording"
    entity_name = "screenRecording"
    action_set  = ["view"]
  }

  # conversation:communication:view (var.read_legal_hold_attribute)
  #   GET /api/v2/conversations/{conversationId}   participants' legal-hold attribute, read in real time
  #                                                (GENESYS_LEGAL_HOLD_ATTRIBUTE; not needed when it is empty)
  dynamic "permission_policies" {
    for_each = var.read_legal_hold_attribute ? ["conversation:communication"] : []
    content {
      domain      = "conversation"
      entity_name = "communication"
      action_set  = ["view"]
    }
  }
}

resource "genesyscloud_oauth_client" "exporter" {
  name                  = var.oauth_client_name
  description           = "Recording Exporter service (GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET). Managed by Terraform (config/genesys)."
  authorized_grant_type = "CLIENT-CREDENTIALS"
  # the exporter renews its token ahead of expiry (GENESYS_TOKEN_RENEW_BEFORE_SECONDS): an hour is plenty
  access_token_validity_seconds = 3600
  state                         = "active"
  # puts the secret in the Terraform state (keep the state encrypted and access-controlled) so that it can be read
  # from the sensitive output exporter_client_secret instead of the Genesys admin UI
  expose_client_secret = true

  roles {
    role_id     = genesyscloud_auth_role.exporter.id
    division_id = var.role_division_id
  }
}
