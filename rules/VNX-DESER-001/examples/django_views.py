# Django views: `request` is the HTTP request whether or not it is annotated.
import json
import pickle

from django.http import HttpResponse, JsonResponse
from django.views import View


def restore_session(request):
    # ruleid: VNX-DESER-001
    state = pickle.loads(request.body)
    return JsonResponse({"keys": sorted(state)})


def save_session(request):
    payload = json.loads(request.body)
    # ok: VNX-DESER-001
    return HttpResponse(pickle.dumps(payload), content_type="application/octet-stream")


class ImportView(View):
    def post(self, request):
        upload = request.FILES["archive"]
        # ruleid: VNX-DESER-001
        return JsonResponse({"items": len(pickle.load(upload))})
