# Ticketping's Django REST framework sample (seeds/ticketping-chat-widget.txt), re-typed to run
# in the tests: `rest_framework` and `django.conf` are the stand-ins in stubs/python (settings
# read from the environment), which call the view once, as a fixed user, after this file has run.
import datetime, jwt
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response
from rest_framework import status, permissions
from rest_framework.authentication import TokenAuthentication
from django.conf import settings
@api_view(["GET"])
@authentication_classes([TokenAuthentication])
@permission_classes((permissions.IsAuthenticated,))
def ticketping_chat_jwt(request):
    user = request.user
    payload = {
        "external_id": str(user.uuid), # Unique ID in your system (required)
        "email": user.email, # User email (required)
        "display_name": user.email.split("@")[0], # Optional display name
        "exp": datetime.datetime.now(datetime.timezone.utc)
        + datetime.timedelta(minutes=5), # Expiry (required)
    }
    clean_payload = {k: v for k, v in payload.items() if v}
    jwt_string = jwt.encode(clean_payload, settings.TICKETPING_JWT_SECRET)
    return Response({"jwt": jwt_string}, status=status.HTTP_200_OK)
