# How Genesys calls the exporter: a Web Services Data Actions integration whose credential holds the exporter's
# webhook token, and one data action that POSTs {"conversationId": ...} to <exporter>/webhooks/genesys with
# "Authorization: Bearer <EXPORTER_WEBHOOK_TOKEN>" (the exporter answers 202 {"accepted": n, "duplicates": m}).
locals {
  webhook_url = "${trimsuffix(var.exporter_base_url, "/")}/webhooks/genesys"
}

# A "User Defined" credential: its fields are available to the integration's actions as ${credentials.<field>}, and
# Genesys redacts them in action tests and logs.
resource "genesyscloud_integration_credential" "exporter_webhook" {
  name                 = "${var.integration_name} webhook token"
  credential_type_name = "userDefined"
  fields = {
    token = var.exporter_webhook_token
  }
}

resource "genesyscloud_integration" "exporter_webhook" {
  integration_type = "custom-rest-actions" # Web Services Data Actions
  intended_state   = "ENABLED"

  config {
    name  = var.integration_name
    notes = "Notifies the Recording Exporter when a customer leaves a conversation. Managed by Terraform (config/genesys)."
    credentials = {
      # the Web Services Data Actions integration has one credential slot, named basicAuth whatever its type
      basicAuth = genesyscloud_integration_credential.exporter_webhook.id
    }
  }
}

resource "genesyscloud_integration_action" "notify_exporter" {
  name                   = var.data_action_name
  category               = var.integration_name
  integration_id         = genesyscloud_integration.exporter_webhook.id
  secure                 = false
  config_timeout_seconds = 20

  contract_input = jsonencode({
    type     = "object"
    required = ["conversationId"]
    properties = {
      conversationId = {
        type        = "string"
        description = "The Genesys conversation whose recordings are to be exported."
      }
    }
  })

  contract_output = jsonencode({
    type = "object"
    properties = {
      accepted = {
        type        = "integer"
        description = "Conversations the exporter recorded as new work."
      }
      duplicates = {
        type        = "integer"
        description = "Conversations the exporter already had."
      }
    }
  })

  config_request {
    # '$${' is a literal '${' for Genesys's Velocity templates, not a Terraform interpolation
    request_url_template = local.webhook_url
    request_type         = "POST"
    request_template     = "{\"conversationId\": \"$${input.conversationId}\"}"
    headers = {
      "Authorization" = "Bearer $${credentials.token}"
      "Content-Type"  = "application/json"
    }
  }

  config_response {
    translation_map          = {}
    translation_map_defaults = {}
    success_template         = "$${rawResult}"
  }
}
