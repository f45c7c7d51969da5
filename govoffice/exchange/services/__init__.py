"""Every write of the hub: messages and statuses, deliveries, members, pushes."""
