"""What the hub tells the rest of the platform. Records, portal and supervision listen here;
the hub imports none of them. Each is sent after the transaction that accepted the message
has committed, so a receiver never sees a message that could still roll back."""

from __future__ import annotations

from django.dispatch import Signal

# sender=Message; kwargs: message, recipients (list of Agency)
document_accepted = Signal()
# sender=Message; kwargs: status (the status Message), document (the Message it is about)
status_accepted = Signal()
