"""The expert's pages, under /awards/expert/ (names in the ``awards`` namespace)."""

from django.urls import path

from .views import experts

urlpatterns = [
    path("", experts.tasks_view, name="expert_tasks"),
    path("works/<str:public_id>/", experts.work_view, name="expert_work"),
    path("works/<str:public_id>/declare/", experts.declare_view, name="expert_declare"),
    path("works/<str:public_id>/score/", experts.score_view, name="expert_score"),
]
