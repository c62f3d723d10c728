"""What intake's tests share: replica events, scenarios, workspace pages and plan documents."""
