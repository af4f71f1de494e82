"""Activities: orders, receipts, subscriptions, partner products and consents."""
