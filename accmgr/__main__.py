from accmgr.cli import main

raise SystemExit(main())
