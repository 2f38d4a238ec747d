from cardbox.cli import main

raise SystemExit(main())
