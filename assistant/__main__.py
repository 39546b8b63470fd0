from assistant.cli import main

if __name__ == "__main__":  # not when a child process imports this module as __mp_main__
    main()
