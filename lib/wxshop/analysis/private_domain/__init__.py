"""The private-domain playbook (05_private_domain): 企业微信 contacts and staff, 社群 health, the
3 / 7 / 14-day touch cadence and what followed, content reach. One question per module."""
