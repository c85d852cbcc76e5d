"""What a reference letter must say besides its duties (IRCC's list), checked on the parsed letter."""
