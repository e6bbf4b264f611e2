output "cluster_name" {
  description = "EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = aws_eks_cluster.main.name
}

output "cluster_endpoint" {
  description = "EKS API server endpoint."
  value       = aws_eks_cluster.main.endpoint
}

output "database_endpoint" {
  description = "PostgreSQL primary (DATABASE_URL host)."
  value       = aws_db_instance.primary.endpoint
}

output "database_replica_endpoint" {
  description = "PostgreSQL read replica (DATABASE_REPLICA_URL host)."
  value       = aws_db_instance.replica.endpoint
}

output "redis_endpoint" {
  description = "Redis primary endpoint (REDIS_URL host); fails over automatically."
  value       = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "media_bucket" {
  description = "S3 bucket the origins publish to (S3_BUCKET)."
  value       = aws_s3_bucket.media.bucket
}

output "cdn_domain" {
  description = "CloudFront domain serving media, when enable_cdn."
  value       = var.enable_cdn ? aws_cloudfront_distribution.media[0].domain_name : null
}

output "ecr_repository_urls" {
  description = "Image repositories, by tier."
  value       = { for name, repo in aws_ecr_repository.tier : name => repo.repository_url }
}

output "app_secret_arn" {
  description = "Secrets Manager entry holding the tiers' secrets."
  value       = aws_secretsmanager_secret.app.arn
}

output "database_url" {
  description = "DATABASE_URL, password included."
  value       = "postgres://vidra:${var.db_password}@${aws_db_instance.primary.endpoint}/vidra"
  sensitive   = true
}
