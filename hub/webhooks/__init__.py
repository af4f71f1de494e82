"""Webhook ingestion: verify, queue durably, acknowledge; process from the queue afterwards."""
