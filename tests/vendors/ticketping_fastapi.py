# Ticketping's FastAPI sample (seeds/ticketping-chat-widget.txt), re-typed to run in the tests:
# the secret comes from the environment instead of "your-ticketping-secret", and `fastapi` is
# the stand-in in stubs/python, which requests the route once after this file has run.
import os

from fastapi import FastAPI, Depends
from fastapi.responses import JSONResponse
from datetime import datetime, timedelta, timezone
import jwt
app = FastAPI()
SECRET = os.environ["TICKETPING_JWT_SECRET"]
def get_current_user():
    # Replace with your real authentication
    return {"id": "123", "email": "alice@example.com"}
@app.get("/api/ticketping/chat-jwt")
def ticketping_chat_jwt(user: dict = Depends(get_current_user)):
    payload = {
        "external_id": user["id"],
        "email": user["email"],
        "display_name": user["email"].split("@")[0],
        "exp": datetime.now(timezone.utc) + timedelta(minutes=5),
    }
    token = jwt.encode(payload, SECRET, algorithm="HS256")
    return JSONResponse(content={"jwt": token})
