# A member account's root (333333333333, by allowed_account_ids): an application network and no trail of its own, as in
# a Control Tower landing zone 3.0 account. The organization trail of ../.. covers it.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["333333333333"]
}

resource "aws_vpc" "application" {
  cidr_block = "10.0.0.0/16"
}
