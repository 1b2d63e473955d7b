from accmgr.launch import main

raise SystemExit(main())
