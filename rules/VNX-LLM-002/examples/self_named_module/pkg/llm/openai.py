"""The project's OpenAI wrapper, in a module named after the SDK and with a class named like the SDK's.
`import openai` here is the installed SDK: Python 3 has no implicit relative imports, so a module never
imports itself by its bare name."""
import openai


class OpenAI:
    def __init__(self, model: str = "gpt-4o") -> None:
        self.model = model
        self.client = openai.OpenAI()

    def ask(self, prompt: str) -> str:
        reply = self.client.chat.completions.create(model=self.model, messages=[{"role": "user", "content": prompt}])
        return reply.choices[0].message.content
