"""Tasks on the real broker and stores: assignments, workflow, time, send rules, reordering."""
