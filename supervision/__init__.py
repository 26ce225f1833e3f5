"""Supervision of both programmes by the provincial departments and the ministries.

One sub-package (a Django app of its own) per concern: 日常巡查 (inspections),
行政指导 (guidance), 通知公告 and 培训 (notices), statistics. Supervision reads the
programmes (filings, awards) and is read by nothing but the roof (portal).
"""
