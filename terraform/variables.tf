variable "region" {
  description = "AWS region for every resource."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Name suffix and tag (production, staging)."
  type        = string
  default     = "production"
}

variable "vpc_cidr" {
  description = "The VPC's address range; subnets are carved from it."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Two or more zones: EKS, RDS Multi-AZ and ElastiCache failover span them."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b"]
}

variable "kubernetes_version" {
  description = "EKS control plane version."
  type        = string
  default     = "1.32"
}

variable "api_instance_types" {
  description = "General-purpose nodes for API (origin) and ingest pods."
  type        = list(string)
  default     = ["m7i.large"]
}

variable "api_nodes" {
  description = "Size of the general-purpose node group."
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 2, desired = 3, max = 10 }
}

variable "transcode_instance_types" {
  description = "Compute-optimised spot nodes for transcoders (several types, so spot capacity is found)."
  type        = list(string)
  default     = ["c7i.2xlarge", "c6i.2xlarge", "c7a.2xlarge"]
}

variable "transcode_nodes" {
  description = "Size of the transcoder node group; the cluster autoscaler follows the transcoder HPA."
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 0, desired = 1, max = 20 }
}

variable "db_instance_class" {
  description = "RDS instance class for the primary and its read replica."
  type        = string
  default     = "db.r7g.large"
}

variable "db_allocated_storage" {
  description = "RDS storage in GiB (grows automatically up to 10x)."
  type        = number
  default     = 100
}

variable "db_password" {
  description = "Master password of the PostgreSQL primary."
  type        = string
  sensitive   = true
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.r7g.large"
}

variable "redis_auth_token" {
  description = "Redis AUTH token (16-128 characters)."
  type        = string
  sensitive   = true
}

variable "internal_api_token" {
  description = "Shared by the edge, origins and ingest nodes (INTERNAL_API_TOKEN)."
  type        = string
  sensitive   = true
}

variable "runner_registration_token" {
  description = "Transcoders register with it (RUNNER_REGISTRATION_TOKEN)."
  type        = string
  sensitive   = true
}

variable "enable_cdn" {
  description = "CDN-assisted delivery: CloudFront in front of the media bucket (origin access control)."
  type        = bool
  default     = true
}
