# The read-only role drift assumes in a member account, as Terraform (apply it
# in each account, for instance through an aliased provider per account).
# The role can read IAM and nothing else (the actions of
# examples/iam-readonly-policy.json, which a test compares), and only the
# account drift runs in can assume it, with the external id.

variable "trusted_account_id" {
  description = "The account drift runs in (its credentials assume this role)"
  type        = string
  validation {
    condition     = can(regex("^[0-9]{12}$", var.trusted_account_id))
    error_message = "An AWS account id: twelve digits."
  }
}

variable "external_id" {
  description = "The external id drift passes when it assumes the role"
  type        = string
  sensitive   = true
}

variable "role_name" {
  type    = string
  default = "drift-readonly"
}

data "aws_partition" "current" {}

resource "aws_iam_role" "drift_readonly" {
  name                 = var.role_name
  description          = "Read-only access to IAM for iam-drift-guard"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${var.trusted_account_id}:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = var.external_id } }
    }]
  })
}

resource "aws_iam_role_policy" "drift_readonly" {
  name = "drift-readonly"
  role = aws_iam_role.drift_readonly.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "DriftReadOnly"
      Effect = "Allow"
      Action = [
        "iam:GenerateCredentialReport",
        "iam:GetAccountAuthorizationDetails",
        "iam:GetAccountPasswordPolicy",
        "iam:GetAccountSummary",
        "iam:GetCredentialReport",
        "iam:GetLoginProfile",
        "iam:GetOpenIDConnectProvider",
        "iam:GetSAMLProvider",
        "iam:ListAccessKeys",
        "iam:ListAccountAliases",
        "iam:ListInstanceProfiles",
        "iam:ListMFADevices",
        "iam:ListOpenIDConnectProviders",
        "iam:ListRoles",
        "iam:ListSAMLProviders",
        "iam:ListSSHPublicKeys",
      ]
      Resource = "*"
    }]
  })
}

output "role_arn" {
  value = aws_iam_role.drift_readonly.arn
}
