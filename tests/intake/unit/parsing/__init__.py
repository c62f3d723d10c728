"""Intake's plan parser: layouts, unit grammar, timeframes, hostile input, the seed plans' scores."""
