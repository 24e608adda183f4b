# A member account's root (222222222222, by an assume_role ARN): an application network and no trail of its own, as in
# a Control Tower landing zone 3.0 account. The organization trail of ../.. covers it.

provider "aws" {
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
  }
}

resource "aws_vpc" "application" {
  cidr_block = "10.0.0.0/16"
}
