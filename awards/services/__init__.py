"""Every write that matters in the NRTA recommendation: quarters and projects
(projects.py), the 登记表's 保存 and 申报 (nominations.py), what 申报 checks
(validation.py), the platform list and its CSV import (platforms.py), the
pledge template (pledge_template.py)."""
