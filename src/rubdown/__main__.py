from rubdown.cli import main

raise SystemExit(main())
