# When a customer leaves a conversation, Process Automation waits trigger_delay_seconds (so the recordings exist) and
# starts an Architect workflow, which calls the data action of webhook.tf with the event's conversationId.
locals {
  workflow_file = "${path.module}/recording-exporter-workflow.yaml"
  trigger_topic = "v2.detail.events.conversation.{id}.customer.end"
}

# the workflow lives in the home division (Architect needs a division's name in the flow file)
data "genesyscloud_auth_division_home" "home" {}

resource "genesyscloud_flow" "notify_exporter" {
  filepath = local.workflow_file
  # the provider hashes the file itself (file_content_hash is read-only since 1.73): an edit of the YAML or of a
  # substitution publishes the workflow again
  substitutions = {
    flow_name            = var.workflow_name
    division             = data.genesyscloud_auth_division_home.home.name
    data_action_category = genesyscloud_integration_action.notify_exporter.category
    data_action_name     = genesyscloud_integration_action.notify_exporter.name
  }
}

resource "genesyscloud_processautomation_trigger" "customer_end" {
  name        = var.trigger_name
  description = "Starts ${var.workflow_name} when a customer leaves a conversation, so the Recording Exporter exports its recordings. Managed by Terraform (config/genesys)."
  topic_name  = local.trigger_topic
  enabled     = true
  # only one of delay_by_seconds and event_ttl_seconds may be set
  delay_by_seconds = var.trigger_delay_seconds

  target {
    id   = genesyscloud_flow.notify_exporter.id
    type = "Workflow"
    workflow_target_settings {
      # the event's top-level fields become the workflow's inputs of the same name: Flow.conversationId
      data_format = "TopLevelPrimitives"
    }
  }

  match_criteria = jsonencode([
    {
      jsonPath = "mediaType"
      operator = "In"
      values   = var.trigger_media_types
    }
  ])
}
