"""The rule matcher's parts, one concern per module; ``normalize.rules.RuleMatcher`` joins them."""
