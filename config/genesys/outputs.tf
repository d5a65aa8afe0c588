output "exporter_client_id" {
  description = "The exporter's GENESYS_CLIENT_ID (the OAuth client's id)."
  value       = genesyscloud_oauth_client.exporter.id
}

output "exporter_client_secret" {
  description = "The exporter's GENESYS_CLIENT_SECRET: terraform output -raw exporter_client_secret."
  value       = genesyscloud_oauth_client.exporter.client_secret
  sensitive   = true
}

output "exporter_role_id" {
  description = "Id of the custom role granted to the exporter's OAuth client."
  value       = genesyscloud_auth_role.exporter.id
}

output "webhook_url" {
  description = "Where the data action POSTs: the exporter must answer there (check: curl with the token, see README)."
  value       = local.webhook_url
}

output "workflow_id" {
  description = "Id of the Architect workflow the trigger starts."
  value       = genesyscloud_flow.notify_exporter.id
}

output "trigger_id" {
  description = "Id of the Process Automation trigger on customer.end."
  value       = genesyscloud_processautomation_trigger.customer_end.id
}
