"""The tiny three-shot project of the report tests (imported by name)."""

TINY = """name: tiny
brief: A three-shot test ad.
format: {aspect: "16:9", resolution: 360p, fps: 24}
characters:
  - {name: Maya, description: a founder}
shots:
  - {id: open, duration: 1, role: establishing, framing: wide, camera: pan-right,
     subject: "a loft <script>alert(1)</script>"}
  - {id: pitch, duration: 1.5, role: dialogue, subject: Maya, characters: [Maya],
     dialogue: [{speaker: Maya, line: "Hi."}], transition: crossfade, transition_seconds: 0.25}
  - {id: app, duration: 1, role: product, subject: a laptop, continues_previous: true}
"""
SHOT_IDS = ["open", "pitch", "app"]
