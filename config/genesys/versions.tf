# Genesys-side set-up of the Recording Exporter (CX as Code).
#
# The provider logs in as an OAuth client of its own (client credentials), read from the environment:
#   GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (e.g. eu-west-2 for London).
# That client is not the exporter's client created here: it needs the rights to manage roles, OAuth clients,
# integrations, Architect flows and Process Automation triggers, and it must itself hold the role it grants
# (see README-section.md).
terraform {
  required_version = ">= 1.3.0"

  required_providers {
    genesyscloud = {
      source = "mypurecloud/genesyscloud"
      # 1.73.0 is the first release checked to have everything used here: file_content_hash of genesyscloud_flow
      # computed by the provider (it must not be set), expose_client_secret on genesyscloud_oauth_client, and
      # delay_by_seconds and the JSON-string match_criteria on genesyscloud_processautomation_trigger.
      version = ">= 1.73.0, < 2.0.0"
    }
  }
}

provider "genesyscloud" {}
