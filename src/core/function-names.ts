// Kernel function names by release: the simulator names functions as current kernels do; these are the
// names the same functions had in older releases (renames only; see docs/function-names.md for the evidence).
// Functions that stand for a mechanism a release did not have (folio_add_pin before v6.5, say) keep their
// current names: they only appear in what-if runs there.

export const FUNCTION_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "v5.10": {
    "gup_fast": "internal_get_user_pages_fast",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio_fast": "try_grab_compound_head",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "gup_put_folio": "put_compound_head",
    "do_pte_missing": "handle_pte_fault",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "copy_present_ptes": "copy_present_pte",
    "iov_iter_get_pages2": "iov_iter_get_pages",
    "iomap_dio_bio_iter": "iomap_dio_bio_actor",
    "iomap_dio_hole_iter": "iomap_dio_hole_actor",
    "__blkdev_direct_IO_async": "__blkdev_direct_IO",
    "blkdev_bio_end_io_async": "blkdev_bio_end_io",
    "vaddr_get_pfns": "vaddr_get_pfn",
    "submit_bio_wait_endio": "blkdev_bio_end_io_simple"
  },
  "v5.19": {
    "folio_move_anon_rmap": "page_move_anon_rmap",
    "gup_fast": "lockless_pages_from_mm",
    "try_grab_folio_fast": "try_grab_folio",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "copy_present_ptes": "copy_present_pte",
    "do_pte_missing": "handle_pte_fault",
    "iov_iter_get_pages2": "iov_iter_get_pages",
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "v6.0": {
    "folio_move_anon_rmap": "page_move_anon_rmap",
    "gup_fast": "lockless_pages_from_mm",
    "try_grab_folio_fast": "try_grab_folio",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "copy_present_ptes": "copy_present_pte",
    "do_pte_missing": "handle_pte_fault",
    "iov_iter_get_pages": "iov_iter_get_pages2",
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "v6.1": {
    "folio_move_anon_rmap": "page_move_anon_rmap",
    "gup_fast": "lockless_pages_from_mm",
    "try_grab_folio_fast": "try_grab_folio",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "copy_present_ptes": "copy_present_pte",
    "do_pte_missing": "handle_pte_fault",
    "iov_iter_get_pages": "iov_iter_get_pages2",
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "v6.2": {
    "folio_move_anon_rmap": "page_move_anon_rmap",
    "gup_fast": "lockless_pages_from_mm",
    "try_grab_folio_fast": "try_grab_folio",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "copy_present_ptes": "copy_present_pte",
    "do_pte_missing": "handle_pte_fault",
    "iov_iter_get_pages": "iov_iter_get_pages2",
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "v6.4": {
    "folio_move_anon_rmap": "page_move_anon_rmap",
    "gup_fast": "lockless_pages_from_mm",
    "try_grab_folio_fast": "try_grab_folio",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "copy_present_ptes": "copy_present_pte",
    "iov_iter_get_pages": "iov_iter_get_pages2",
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "v6.5": {
    "folio_move_anon_rmap": "page_move_anon_rmap",
    "gup_fast": "lockless_pages_from_mm",
    "try_grab_folio_fast": "try_grab_folio",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "copy_present_ptes": "copy_present_pte",
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "v6.9": {
    "gup_fast": "lockless_pages_from_mm",
    "try_grab_folio_fast": "try_grab_folio",
    "gup_fast_pte_range": "gup_pte_range",
    "gup_fast_pmd_leaf": "gup_huge_pmd",
    "try_grab_folio": "try_grab_page",
    "follow_huge_pmd": "follow_trans_huge_pmd",
    "mm_get_huge_zero_folio": "mm_get_huge_zero_page",
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "v6.12": {
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  },
  "latest": {
    "blkdev_bio_end_io_simple": "submit_bio_wait_endio"
  }
};
