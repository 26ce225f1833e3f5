from django.core.management.base import BaseCommand

from awards.services.rounds import close_due_rounds


class Command(BaseCommand):
    help = "Close provincial rounds past their deadline: 待初审 → 逾期未审, 已推荐 → 专家评议 (periodic job)."

    def handle(self, *args, **options):
        result = close_due_rounds()
        self.stdout.write(f"closed {result['closed']}, sent to experts {result['to_experts']}")
