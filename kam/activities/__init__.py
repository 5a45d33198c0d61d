"""What managers log all day: visits and calls, claims, competitor notes."""
