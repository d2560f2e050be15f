"""billing-service: charges placed orders and emits payments.payment-captured."""
