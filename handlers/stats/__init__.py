"""Manager stats: funnel, conversion, dwell, leaderboard, stalled deals, forecast, heatmap, export."""
