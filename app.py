from tracker.editor import create_app

app = create_app()
