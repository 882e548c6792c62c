-- wrk script: the reference's chat request, POSTed as JSON.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model": "gpt-3.5-turbo", "messages": [{"role": "user", "content": "write a poem about litellm!"}], "temperature": 0.7}'
