from django.dispatch import Signal

# Sent by accounts.services.delete_account with `user` and `now`, inside its transaction.
# accounts sits below the offer apps (pyproject.toml, import contracts): they listen here to
# take a deleted owner's offers offline (domains/moderation.py, withdraw_deleted_owners_offers).
account_deleted = Signal()
