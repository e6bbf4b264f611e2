terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_s3_bucket" "media" {
  # Planted error: the argument is bucket.
  bucket_name = "vidra-media"
}
