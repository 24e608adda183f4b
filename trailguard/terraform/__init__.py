"""Terraform adapter: HCL, .tf.json and plan JSON into trailguard models."""
