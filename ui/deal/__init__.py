"""The deal card: one window with everything about an order (fields, contact, payment and
delivery, files, the timeline and the tasks between roles), and the gate forms."""
