"""Plans, Stripe Checkout and Customer Portal, webhooks, and what each plan allows."""
