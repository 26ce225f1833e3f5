"""Every write that matters for filings: editing (editing.py), 提交/撤回/删除 (lifecycle.py),
变更 (changes.py); what 提交 checks (validation.py); copying versions (versions.py)."""
