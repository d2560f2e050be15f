"""orders-service: accepts orders over HTTP and emits orders.order-placed events."""
