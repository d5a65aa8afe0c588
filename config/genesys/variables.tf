variable "exporter_base_url" {
  description = "Public https base URL of the Recording Exporter's business port (the ingress), without a path: the data action POSTs to <this>/webhooks/genesys."
  type        = string

  validation {
    condition     = can(regex("^https://[^/?#\\s]+(/[^?#\\s]*)?$", var.exporter_base_url)) && !endswith(trimsuffix(var.exporter_base_url, "/"), "/webhooks/genesys")
    error_message = "exporter_base_url must be an https:// URL of the exporter, without /webhooks/genesys (it is added), a query or a fragment."
  }
}

variable "exporter_webhook_token" {
  description = "The exporter's EXPORTER_WEBHOOK_TOKEN: the bearer token the data action sends. Generate it with `openssl rand -hex 32` and give the same value to the exporter."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.exporter_webhook_token) >= 32 && !can(regex("\\s", var.exporter_webhook_token))
    error_message = "exporter_webhook_token must be at least 32 characters without whitespace (openssl rand -hex 32)."
  }
}

variable "role_name" {
  description = "Name of the custom role holding the exporter's permissions."
  type        = string
  default     = "Recording Exporter"
}

variable "oauth_client_name" {
  description = "Name of the exporter's OAuth client (client credentials grant)."
  type        = string
  default     = "Recording Exporter"
}

variable "role_division_id" {
  description = "Division the role is granted in. \"*\" (all divisions, the default) lets the exporter see every recorded conversation; a division id limits the export to that division's conversations and recordings."
  type        = string
  default     = "*"
}

variable "integration_name" {
  description = "Name of the Web Services Data Actions integration; also the category its data action is filed under in Architect."
  type        = string
  default     = "Recording Exporter"
}

variable "data_action_name" {
  description = "Name of the data action that notifies the exporter (Architect refers to it by this name)."
  type        = string
  default     = "Notify Recording Exporter"
}

variable "workflow_name" {
  description = "Name of the Architect workflow the trigger starts."
  type        = string
  default     = "Recording Exporter - conversation ended"
}

variable "trigger_name" {
  description = "Name of the Process Automation trigger."
  type        = string
  default     = "Recording Exporter - customer left"
}

variable "trigger_delay_seconds" {
  description = "How long after the customer leaves the workflow runs (60 to 900 s), so that the recordings exist when the exporter asks for them. Later recordings (screen uploads) are found by the exporter's relisting and reconcile poll."
  type        = number
  default     = 300

  validation {
    condition     = var.trigger_delay_seconds >= 60 && var.trigger_delay_seconds <= 900 && floor(var.trigger_delay_seconds) == var.trigger_delay_seconds
    error_message = "trigger_delay_seconds must be a whole number of seconds from 60 to 900 (the provider's and Genesys's range for delay_by_seconds)."
  }
}

variable "trigger_media_types" {
  description = "mediaType values of the customer.end event that start the workflow: the media the exporter exports recordings of."
  type        = list(string)
  default     = ["VOICE", "CALLBACK", "CHAT", "MESSAGE", "EMAIL", "SCREENSHARE"]

  validation {
    condition     = length(var.trigger_media_types) > 0
    error_message = "trigger_media_types must name at least one media type."
  }
}

variable "export_sensitive_recordings" {
  description = "Grant recording:recording:viewSensitiveData. Without it, an org with sensitive-data redaction leaves recordings that hold sensitive data out of batch downloads (and redacts them in per-recording downloads), so the export is incomplete."
  type        = bool
  default     = true
}

variable "read_legal_hold_attribute" {
  description = "Grant conversation:communication:view for the real-time read of the legal-hold participant attribute (GET /api/v2/conversations/{id}). Set false only when the exporter runs with GENESYS_LEGAL_HOLD_ATTRIBUTE empty."
  type        = bool
  default     = true
}
