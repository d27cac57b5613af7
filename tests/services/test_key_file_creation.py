"""A fresh install's key file: created once, whole, private, however many workers start at once."""

from plans import load_keyring_in_another_process, racing_processes

from csp_events.visits.keyring import key_file, load_keyring, read_key_file


def test_workers_starting_together_on_a_fresh_install_all_use_one_key(tmp_path):
    context = racing_processes()
    barrier, results = context.Barrier(6), context.Queue()
    workers = [
        context.Process(
            target=load_keyring_in_another_process, args=(str(tmp_path), barrier, results)
        )
        for _ in range(6)
    ]
    for worker in workers:
        worker.start()
    keys_in_use = {results.get(timeout=120) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)

    assert keys_in_use == set(read_key_file(key_file(tmp_path)))
    assert len(keys_in_use) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["resident_data.key"]


def test_the_key_file_is_readable_by_its_owner_only(tmp_path):
    load_keyring(tmp_path, configured="")

    assert key_file(tmp_path).stat().st_mode & 0o777 == 0o600


def test_an_existing_key_file_is_kept(tmp_path):
    first = load_keyring(tmp_path, configured="").keys

    assert load_keyring(tmp_path, configured="").keys == first
