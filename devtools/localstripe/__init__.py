"""The local Stripe server of development and tests: `localstripe` (GPL-3.0, a development
and test requirement only) with what Alma Heritage's calls need and localstripe lacks,
each in the shape of Stripe's API reference so the same SDK calls run against Stripe.
docs/local-stripe.md describes it; production never installs nor imports it.

    server.py       wiring: middlewares, routes, the store on disk, the command line
    payments.py     the card Element, PaymentIntent and refund additions, decline cards
    connect.py      accounts, account links, login links, onboarding states
    onboarding.py   the local onboarding and Express dashboard pages
    transfers.py    transfers and transfer reversals
    balances.py     a balance per account, the Stripe-Account header
    idempotency.py  Idempotency-Key replay
    failures.py     failure injection for tests
    webhooks.py     events with the Connect `account` field, signed delivery
    common.py       errors, parameters, the clock, routes
"""
