"""A mail backend that refuses one address (a@example.jp) and keeps the rest in mail.outbox."""

from django.core.mail.backends.locmem import EmailBackend


class Backend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            if "a@example.jp" in message.to:
                raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)
