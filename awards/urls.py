from django.urls import include, path

from .views import nominations, projects

app_name = "awards"
urlpatterns = [
    path("", projects.projects_view, name="projects"),
    path("projects/<str:public_id>/", projects.project_view, name="project"),
    path("projects/<str:public_id>/pledge-template/", projects.pledge_template_view, name="pledge_template"),
    path("projects/<str:public_id>/nominate/", nominations.new_view, name="new"),
    path("mine/", nominations.mine_view, name="mine"),
    path("nominations/<str:public_id>/", nominations.detail_view, name="detail"),
    path("nominations/<str:public_id>/edit/", nominations.edit_view, name="edit"),
    path("nominations/<str:public_id>/act/<slug:name>/", nominations.act_view, name="act"),
    path("nominations/<str:public_id>/delete/", nominations.delete_view, name="delete"),
    path("nominations/<str:public_id>/pledge/", nominations.pledge_view, name="pledge"),
    path("", include("awards.urls_results")),  # public: 公示, 推优结果公布
    path("expert/", include("awards.urls_experts")),  # the experts' 评审任务
]
