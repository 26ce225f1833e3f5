from django.http import HttpResponse
from django.urls import path

app_name = "review"


def _placeholder(request):  # replaced by the message centre
    return HttpResponse("todo")


urlpatterns = [path("messages/", _placeholder, name="messages")]
