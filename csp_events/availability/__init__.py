"""When volunteers are away: the dates and weekdays they cannot help."""
