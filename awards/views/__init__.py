"""Applicant pages: 项目申报 and 项目详情 (projects.py), the 登记表, 我的申报 and 查看 (nominations.py)."""
