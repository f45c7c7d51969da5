"""Every write to feedback: intake, triage and forwarding, agency replies, moderation, rating."""
