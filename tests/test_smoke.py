from sitegen.cli import main


def test_parse_shipped_content_succeeds(capsys):
    assert main(["parse", "--content", "content"]) == 0
    assert "472 papers" in capsys.readouterr().err
